"""Reports of a check run (text, JSON, JUnit, GitHub annotations, an HTML page) and of a run
refused for bad input: renderers that never decide a verdict, only show one."""
