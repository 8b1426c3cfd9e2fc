import HTTPTypes
import Hummingbird
import LeadgenCore
import Storage

/// The role a request needs, by what it does: reading needs a viewer; deleting, and changing connections,
/// senders, sequences and scenarios, an admin; any other change a member (leads, imports, enrichment,
/// sync, sourcing, runs, enrolment — which sends).
enum RoleRequirement {
    /// Paths under `/api/v1/` whose changes are an admin's.
    static let adminPaths = ["connections", "senders", "sequences", "scenarios", "jobs"]
    /// Changes under admin paths a member may still make: running a scenario, enrolling leads.
    static let memberActions = ["/run", "/enroll", "/preview", "/retry"]

    static func needed(method: HTTPRequest.Method, path: String) -> Role {
        if method == .get || method == .head { return .viewer }
        if method == .delete { return .admin }
        let rest = path.hasPrefix("/api/v1/") ? String(path.dropFirst("/api/v1/".count)) : path
        if adminPaths.contains(where: { rest == $0 || rest.hasPrefix($0 + "/") }),
            !memberActions.contains(where: { path.hasSuffix($0) })
        {
            return .admin
        }
        return .member
    }
}

/// Refuses an API request its key's role does not allow: 403, naming the role it needs.
struct APIRoleMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let needed = RoleRequirement.needed(method: request.method, path: request.uri.path)
        guard context.role >= needed else {
            throw Problem(
                status: .forbidden, title: "Forbidden",
                detail: "this API key's role is \(context.role.rawValue); \(request.method) \(request.uri.path) "
                    + "needs \(needed.rawValue) or more")
        }
        return try await next(request, context)
    }
}

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
