"""M4.1-M4.3: fiscal projects, the transformation deadline fixed at their approval, the sweep
that reminds of it and the pages that follow it."""
