import Hummingbird

/// Applies `ProblemMiddleware` to every path under `/api/` and `/webhooks/`, unknown paths included, so API
/// clients and providers always get `application/problem+json`.
struct APIProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let problems = ProblemMiddleware<AppRequestContext>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/api/") || path.hasPrefix("/webhooks/") || path.hasPrefix("/hooks/") else {
            return try await next(request, context)
        }
        return try await problems.handle(request, context: context, next: next)
    }
}
