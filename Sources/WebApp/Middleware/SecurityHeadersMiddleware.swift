import HTTPTypes
import Hummingbird

/// Adds the request id and the headers that keep browsers strict: no framing, no sniffing, no third-party
/// scripts, no referrer leaks, and over https, https only from then on (HSTS).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.id
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if SessionMiddleware.isHTTPS(request) {
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        }
        return response
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}
