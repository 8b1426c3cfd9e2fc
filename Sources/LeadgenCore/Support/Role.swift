/// What a user or an API key may do in its workspace, each role all that the one before may, and more:
/// a viewer reads; a member also changes leads and runs the work (imports, enrichment, sync, sourcing,
/// scenario runs, enrolling leads, which sends); an admin also manages connections, senders, sequences and
/// scenarios and deletes; an owner also manages users and API keys.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, member, admin, owner

    var rank: Int {
        switch self {
        case .viewer: 0
        case .member: 1
        case .admin: 2
        case .owner: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
