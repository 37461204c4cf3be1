@env XENVIRT_DEFAULT_URI=test:///default
uri
