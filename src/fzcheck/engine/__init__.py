"""Document → results, knowing no element: normalize, outline, frontmatter (year, date, title,
unit), match, kinds, check (the pipeline and scoring), waivers, diff (comparison only) and the
runner of the rules' examples. Returns result objects; never prints."""
