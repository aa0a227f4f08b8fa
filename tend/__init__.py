"""The project package: settings, root URLs, ASGI/WSGI entry points and WebSocket routing. The apps
(portal, content, community, events) never import it; see "Layout and contracts" in the README."""
