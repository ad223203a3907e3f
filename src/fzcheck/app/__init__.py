"""The application: the command line, configuration discovery, batches on a process pool and
the progress bar. The only layer that prints and exits."""
