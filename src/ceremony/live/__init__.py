"""Running a show live: one rundown, a clock, an API and the screens that watch it."""
