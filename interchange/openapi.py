"""The OpenAPI 3.1 description of the read-only ninjs API, served at /api/openapi.json."""


def _param(name: str, description: str, schema: dict, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


LIMIT = _param("limit", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20})
PAGE = _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1})
ERROR = {
    "description": "The problem, in words.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
NOT_MODIFIED = {"description": "Not modified: the copy named by If-None-Match is still current."}
CACHING = {
    "ETag": {"description": "Send it as If-None-Match to get 304 when nothing changed.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "Public: browsers and CDNs may reuse it briefly.", "schema": {"type": "string"}},
}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "headers": CACHING, "content": {"application/json": {"schema": schema}}}


def _list_of(item: dict, *, counted: bool) -> dict:
    properties = {
        "items": {"type": "array", "items": item},
        "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null on the last."},
    }
    if counted:
        properties["count"] = {"type": "integer"}
    return {"type": "object", "required": list(properties), "properties": properties}


def openapi_document(*, base_url: str) -> dict:
    """The API's description; the ninjs item schema is the shipped schema file, served beside it."""
    item = {"$ref": f"{base_url}/api/ninjs/schema.json"}
    concept = {"$ref": "#/components/schemas/Concept"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom ninjs API",
            "version": "1.0",
            "description": (
                "Published stories in IPTC ninjs 2.1 form, with the site's sections and public figures. "
                "Read-only and public: drafts, scheduled, embargoed and retracted stories never appear. "
                "Responses carry an ETag (answer 304 to If-None-Match) and Cache-Control for CDNs."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/api/ninjs/stories/": {
                "get": {
                    "operationId": "listStories",
                    "summary": "Published stories, newest first",
                    "parameters": [
                        _param("section", "Only stories in the section with this slug.", {"type": "string"}),
                        _param("tag", "Only stories with the tag with this slug.", {"type": "string"}),
                        _param(
                            "since",
                            "Only stories published or updated at or after this time (ISO 8601 with time zone).",
                            {"type": "string", "format": "date-time"},
                        ),
                        _param("cursor", "Where the next page starts; copy it from next.", {"type": "string"}),
                        LIMIT,
                    ],
                    "responses": {
                        "200": _ok("A page of stories.", _list_of(item, counted=False)),
                        "304": NOT_MODIFIED,
                        "400": ERROR,
                    },
                }
            },
            "/api/ninjs/stories/{key}/": {
                "get": {
                    "operationId": "getStory",
                    "summary": "One published story, by id or slug",
                    "parameters": [_param("key", "The story's id or slug.", {"type": "string"}, where="path")],
                    "responses": {"200": _ok("The story.", item), "304": NOT_MODIFIED, "404": ERROR},
                }
            },
            "/api/ninjs/sections/": {
                "get": {
                    "operationId": "listSections",
                    "summary": "Sections in the site's order",
                    "parameters": [PAGE, LIMIT],
                    "responses": {"200": _ok("A page of sections.", _list_of(concept, counted=True)), "400": ERROR},
                }
            },
            "/api/ninjs/people/": {
                "get": {
                    "operationId": "listPeople",
                    "summary": "Public figures quoted in stories",
                    "parameters": [PAGE, LIMIT],
                    "responses": {"200": _ok("A page of people.", _list_of(concept, counted=True)), "400": ERROR},
                }
            },
            "/api/ninjs/schema.json": {
                "get": {
                    "operationId": "getNinjsSchema",
                    "summary": "The ninjs 2.1 JSON schema items follow",
                    "responses": {"200": _ok("JSON Schema 2020-12.", {"type": "object"})},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Concept": {
                    "type": "object",
                    "required": ["name", "literal", "uri"],
                    "properties": {
                        "name": {"type": "string"},
                        "literal": {"type": "string", "description": "The slug."},
                        "uri": {"type": "string", "format": "uri", "description": "The public page."},
                        "description": {"type": "string"},
                        "stories": {"type": "string", "format": "uri", "description": "The section's stories."},
                    },
                },
            }
        },
    }
