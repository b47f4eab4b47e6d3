"""The deck as a PowerPoint file: the one door to python-pptx. One slide per page of the
deck on the template's "Title Slide" and "Title Only" layouts (found by name), every shape
placed where ``layout`` put it on the 16:9 surface, so nothing leaves the slide; native
(editable) charts; tables with links to Jira; the presenter's notes on every slide. A
user's own .pptx template brings the organisation's branding (theme, fonts, master)."""
from jirasync.reports.powerpoint.writer import deck_pptx

__all__ = ["deck_pptx"]
