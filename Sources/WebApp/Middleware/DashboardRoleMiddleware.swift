import HTTPTypes
import Hummingbird
import LeadgenCore
import Storage

/// Refuses a dashboard form a viewer posts (viewers read; logging out is not a dashboard page).
struct DashboardRoleMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let needed: Role = request.method == .get || request.method == .head ? .viewer : .member
        guard context.session.user.role >= needed else {
            throw HTTPError(.forbidden, message: "Your role (viewer) lets you read, not change anything here.")
        }
        return try await next(request, context)
    }
}
