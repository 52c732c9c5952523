"""One loader per file format; `cascade.parse.load.load` dispatches to them."""
