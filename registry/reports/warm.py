"""Preloaded by the forkserver that appendix workers fork from (``pdf._mp_context``): importing it lays out a
tiny document once, so fontconfig and Pango are initialised in the server and every worker inherits them
instead of paying about a second each."""

from .render import render

render("<p>warm</p>")
