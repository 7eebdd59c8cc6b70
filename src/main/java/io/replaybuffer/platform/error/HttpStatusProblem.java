package io.replaybuffer.platform.error;

/** Problem wording for the plain HTTP failures the framework raises (unknown route, wrong method, ...). */
record HttpStatusProblem(String type, String title, String detail) {

    static HttpStatusProblem of(int status) {
        return switch (status) {
            case 400 -> new HttpStatusProblem("bad-request", "Bad request", "The request could not be understood");
            case 404 -> new HttpStatusProblem("not-found", "Not found", "There is no resource at this path");
            case 405 -> new HttpStatusProblem("method-not-allowed", "Method not allowed",
                    "This resource does not support that HTTP method");
            case 406 -> new HttpStatusProblem("not-acceptable", "Not acceptable",
                    "This resource cannot produce the media type asked for in Accept");
            case 413 -> new HttpStatusProblem("payload-too-large", "Payload too large", "The request body is too large");
            case 415 -> new HttpStatusProblem("unsupported-media-type", "Unsupported media type",
                    "Send the request body as application/json");
            case 416 -> new HttpStatusProblem("range-not-satisfiable", "Range not satisfiable",
                    "The requested byte range lies outside the file");
            default -> new HttpStatusProblem("http-" + status, "HTTP " + status, "The request failed");
        };
    }
}
