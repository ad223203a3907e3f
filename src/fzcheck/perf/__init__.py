"""Speed only: caches between runs and the keyword prefilter. Everything here can be switched
off (FZCHECK_NO_CACHE=1, the prefilter's None) with identical results."""
