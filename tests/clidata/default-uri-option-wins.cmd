@env XENVIRT_DEFAULT_URI=bogus:///nowhere
--connect=test:///default uri
