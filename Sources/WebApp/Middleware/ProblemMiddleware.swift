import HTTPTypes
import Hummingbird
import Logging

/// Turns every error of an API request into `application/problem+json`. A client's mistake gets a 4xx
/// that says what is wrong; anything else is logged with the request id and answered 500 without details.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response(requestID: context.id)
        } catch let error as HTTPError {
            let detail =
                switch error.status {
                case .contentTooLarge: "the body is too large"
                case .notFound: error.body ?? "\(request.method) \(request.uri.path) is not part of the API"
                default: error.body
                }
            let problem = Problem(status: error.status, title: error.status.reasonPhrase, detail: detail)
            return problem.response(requestID: context.id)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(status: .internalServerError, title: "Internal Server Error", detail: "the error was logged")
                .response(requestID: context.id)
        }
    }
}
