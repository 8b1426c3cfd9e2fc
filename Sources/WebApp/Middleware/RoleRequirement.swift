import HTTPTypes
import Hummingbird
import LeadgenCore
import Storage

/// The role a request needs, by what it does: reading needs a viewer; deleting, and changing connections,
/// senders, sequences and scenarios, an admin; any other change a member (leads, imports, enrichment,
/// sync, sourcing, runs, enrolment — which sends).
enum RoleRequirement {
    /// Paths under `/api/v1/` whose changes are an admin's.
    static let adminPaths = ["connections", "senders", "sequences", "scenarios", "jobs", "webhooks", "inbound-hooks"]
    /// Changes under admin paths a member may still make: running a scenario, enrolling leads.
    static let memberActions = ["/run", "/enroll", "/preview", "/retry"]
    /// POSTs that only read: a lookup sends its many identifiers in a body, but changes nothing.
    static let readingPosts = ["/api/v1/leads/lookup"]

    static func needed(method: HTTPRequest.Method, path: String) -> Role {
        if method == .get || method == .head { return .viewer }
        if method == .post, readingPosts.contains(path) { return .viewer }
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
