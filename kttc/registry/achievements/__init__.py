"""M8.6: achievements (results), their IP rights, units, completers and translations; entry by
form, API and import, submission and the center's review; the sweep of results due."""
