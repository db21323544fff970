"""The views of the pages: what a page draws and how it reads its inputs, one package or module per page,
one module per part of a page. The page scripts (app_pages/) call them in lesson order."""
