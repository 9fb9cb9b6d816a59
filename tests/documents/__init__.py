"""Documents the tests read: a saved news page written by hand (news_page.html, an invented
story), and PDFs and Word files built at run time by ``builders``, so the repository holds no
binary whose making cannot be read."""
