import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Turns dashboard errors into pages: no session → the login page (or first-run setup), a bad CSRF token
/// → 403, anything unexpected → a 500 page with the request id and the details only in the log.
struct DashboardErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let templates: Templates
    let users: UserStore

    struct ErrorPage {
        var title: String
        var message: String
        var requestID: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), !path.hasPrefix("/webhooks/"), !path.hasPrefix("/hooks/"),
            !path.hasPrefix("/sandbox/")
        else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch DashboardRedirect.toLogin {
            return Redirect.to(try await users.count() == 0 ? "/setup" : "/login")
        } catch DashboardError.forbidden {
            return try templates.page(
                "error",
                ErrorPage(
                    title: "Form expired", message: "The form was out of date. Go back, reload the page and try again.",
                    requestID: context.id), status: .forbidden)
        } catch let error as HTTPError where error.status == .notFound {
            return try page(notFound: context)
        } catch DashboardError.notFound {
            return try page(notFound: context)
        } catch let error as HTTPError where error.status.code < 500 {
            return try templates.page(
                "error", ErrorPage(title: error.status.reasonPhrase, message: error.body ?? "", requestID: context.id),
                status: error.status)
        } catch {
            context.logger.error("dashboard request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try templates.page(
                "error",
                ErrorPage(
                    title: "Something went wrong",
                    message: "The error was logged; quote the request id when reporting it.",
                    requestID: context.id), status: .internalServerError)
        }
    }

    private func page(notFound context: Context) throws -> Response {
        try templates.page(
            "error", ErrorPage(title: "Not found", message: "There is nothing at this address.", requestID: context.id),
            status: .notFound)
    }
}
