"""The part's pages: parse input, call one service or selector, render."""
