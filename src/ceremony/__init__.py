"""ceremony: event timelines, from one show file to every document a show needs."""
