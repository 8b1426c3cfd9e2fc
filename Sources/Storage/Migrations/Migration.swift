import Crypto
import Foundation

/// One named, never-edited step of the schema. Its statements may differ per database only in types.
public struct Migration: Sendable {
    public let name: String
    public let statements: @Sendable (SQLDialectKind) -> [String]

    public init(name: String, statements: @escaping @Sendable (SQLDialectKind) -> [String]) {
        self.name = name
        self.statements = statements
    }

    /// SHA-256 (hex) of the statements for every database, in order: recorded when the migration is applied,
    /// so a database can tell when a migration it ran has since been edited.
    public var checksum: String {
        var text = ""
        for kind in SQLDialectKind.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            text += "-- \(kind.rawValue)\n" + statements(kind).joined(separator: ";\n") + "\n"
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Migration {
    /// Every migration in the order it is applied. Append only.
    public static let all: [Migration] = [
        .m0001CoreTables,
        .m0002Sessions,
        .m0003Jobs,
        .m0004ImportFiles,
        .m0005JobSchedules,
        .m0006Providers,
        .m0007Scenarios,
        .m0008AutomationEvents,
        .m0009OutreachCompliance,
        .m0010Sequences,
        .m0011Enrollments,
        .m0012OutreachMessages,
        .m0013JobDeaths,
        .m0014ScenarioLimits,
        .m0015LoginThrottle,
        .m0016APIKeyRoles,
        .m0017CRMAccounts,
        .m0018PhoneReveals,
        .m0019JobKindNames,
        .m0020OutgoingWebhooks,
        .m0021EventNames,
        .m0022InboundHooks,
        .m0023EmailVerifications,
        .m0024LeadMerges,
        .m0025WorkspaceSMTPProbe,
        .m0026JobTraceParent,
    ]

    /// The whole schema for one database, as `database/schema.sql` holds it.
    public static func schemaSQL(for kind: SQLDialectKind) -> String {
        var text = "-- Generated from the migrations by `leadgen migrate --print-schema`. Do not edit.\n"
        text += "-- Database: \(kind.rawValue)\n"
        for migration in all {
            text += "\n-- \(migration.name)\n"
            for statement in migration.statements(kind) { text += statement + ";\n" }
        }
        return text
    }
}
