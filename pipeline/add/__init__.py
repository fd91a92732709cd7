"""`pipeline add`: a new results page into raw/. The page is copied byte-identical, its
event.toml drafted from what the page prints, and the athletes the registry lacks registered;
a page whose names or nations need a person's decision is refused with every such problem."""
