import Automation
import Foundation
import LeadgenCore
import Storage

/// `leadgen:VerifyEmail`: `{email}` (and `refresh`, a boolean) → `{email, outcome, reason, role_account,
/// disposable, mail_exchangers, checked_at, cached}`. The address is verified as `leadgen verify emails`
/// does (the stored result while fresh; the mailbox probed when the workspace may probe), so a filter can
/// route on `outcome`. An address that is not one is `undeliverable` with a `syntax:` reason, not an error.
struct VerifyEmailModule: NativeModule {
    let verification: EmailVerificationRun
    /// Whether the workspace's addresses may be probed over SMTP.
    let probes: @Sendable (WorkspaceID) async throws -> Bool

    /// The longest address looked at; RFC 5321 allows 254 characters in a path.
    static let maxLength = 320

    func run(_ input: ModuleInput) async throws -> [JSON] {
        let workspace = try LeadgenModules.workspace(input)
        let email = IMLValues.text(input.mapper["email"] ?? .null).trimmingCharacters(in: .whitespaces)
        guard !email.isEmpty else { throw ModuleError("DataError", "email: an address is required") }
        guard email.count <= Self.maxLength else {
            throw ModuleError("DataError", "email: longer than \(Self.maxLength) characters")
        }
        let refresh = input.mapper["refresh"].map { IMLValues.truthy($0) } ?? false
        let (stored, cached) = try await verification.verify(
            email, in: workspace, probe: try await probes(workspace), refresh: refresh)
        let found = stored.verification
        return [
            .object([
                "email": .string(email), "outcome": .string(found.outcome.rawValue), "reason": .string(found.reason),
                "role_account": .bool(found.isRoleAccount), "disposable": .bool(found.isDisposable),
                "mail_exchangers": .array(found.mailExchangers.map { .string($0) }),
                "checked_at": .string(Self.timestamp(stored.checkedAt)), "cached": .bool(cached),
            ])
        ]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
