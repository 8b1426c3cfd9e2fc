import HTTPTypes
import Hummingbird

/// Lets the pages of the Leadgen browser extensions named in `LEADGEN_EXTENSION_IDS` call the API from their
/// own origin, `chrome-extension://<id>`: it answers their preflights and marks the API's answers readable by
/// them. Only `/api/v1/` is opened, only to those origins, and never with credentials: the extension sends its
/// API key in `Authorization`, and the browser sends no cookie with these requests. Any other origin gets no
/// CORS header, so browsers keep its pages out, as before.
struct ExtensionCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>

    init(extensionIDs: [String]) {
        origins = Set(extensionIDs.map { "chrome-extension://\($0)" })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], origins.contains(origin),
            request.uri.path.hasPrefix("/api/v1/")
        else { return try await next(request, context) }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = ExtensionCORS.allowedMethods
            response.headers[.accessControlAllowHeaders] = ExtensionCORS.allowedHeaders
            response.headers[.accessControlMaxAge] = "600"
            allow(origin, in: &response)
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // An error answer is the extension's to read too: it shows why a capture failed.
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlExposeHeaders] = ExtensionCORS.exposedHeaders
        allow(origin, in: &response)
        return response
    }

    private func allow(_ origin: String, in response: inout Response) {
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[values: .vary].append("Origin")
    }
}

/// What the extensions' requests may use, and read of the answers.
enum ExtensionCORS {
    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE"
    static let allowedHeaders = "authorization, content-type, idempotency-key"
    static let exposedHeaders = "location, retry-after, x-request-id"
}
