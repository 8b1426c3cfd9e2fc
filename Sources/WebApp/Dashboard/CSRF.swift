import Foundation
import Hummingbird

/// Cross-site request forgery protection for the dashboard's forms.
///
/// Logged-in forms carry the session's token. The login and setup forms, which come before any session,
/// use a double-submit cookie: the form's token must equal the `leadgen_csrf` cookie set with the form.
enum CSRF {
    static let cookieName = "leadgen_csrf"

    static func check(_ submitted: String?, expected: String?) throws {
        guard let submitted, let expected, !expected.isEmpty,
            submitted.utf8.count == expected.utf8.count,
            zip(submitted.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw DashboardError.forbidden }
    }

    /// The pre-session token for a form: the browser's cookie if it has one, else a new one.
    static func preSessionToken(_ request: Request) -> (token: String, isNew: Bool) {
        if let existing = request.cookies[cookieName]?.value, existing.count == 32 { return (existing, false) }
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return (token, true)
    }
}

/// What the dashboard answers with a page instead of the requested one.
enum DashboardError: Error {
    case forbidden
    case notFound
}
