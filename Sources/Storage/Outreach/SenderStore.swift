import Foundation
import LeadgenCore
import SQLKit

/// A mailbox or phone number that sends a workspace's sequences, with the limits it keeps to.
public struct OutreachSender: Sendable, Equatable, Codable {
    public enum Channel: String, Sendable, Codable, CaseIterable { case email, sms }
    public enum Status: String, Sendable, Codable { case active, paused }

    public var id: String
    public var channel: Channel
    /// sendgrid or mailgun for e-mail, twilio for SMS.
    public var provider: String
    /// The From: an e-mail address, or an E.164 number.
    public var address: String
    public var name: String
    public var title: String?
    /// The postal address every commercial e-mail must carry (CAN-SPAM); required for e-mail senders.
    public var physicalAddress: String?
    /// At most this many messages in any 24 hours / any hour (nil: no limit).
    public var dailyLimit: Int?
    public var hourlyLimit: Int?
    /// At least this long between two of its messages, plus a random extra of up to `jitterSeconds`.
    public var minIntervalSeconds: Int
    public var jitterSeconds: Int
    public var status: Status

    public init(
        id: String = "", channel: Channel, provider: String, address: String, name: String, title: String? = nil,
        physicalAddress: String? = nil, dailyLimit: Int? = nil, hourlyLimit: Int? = nil, minIntervalSeconds: Int = 0,
        jitterSeconds: Int = 0, status: Status = .active
    ) {
        self.id = id
        self.channel = channel
        self.provider = provider
        self.address = address
        self.name = name
        self.title = title
        self.physicalAddress = physicalAddress
        self.dailyLimit = dailyLimit
        self.hourlyLimit = hourlyLimit
        self.minIntervalSeconds = minIntervalSeconds
        self.jitterSeconds = jitterSeconds
        self.status = status
    }

    /// The providers each channel can use.
    public static let providers: [Channel: Set<String>] = [.email: ["sendgrid", "mailgun"], .sms: ["twilio"]]

    /// What is wrong with it, field by field; empty when it can send.
    public var problems: [(field: String, message: String)] {
        var problems: [(String, String)] = []
        if !(Self.providers[channel] ?? []).contains(provider) {
            problems.append(
                (
                    "provider",
                    "\(channel.rawValue) senders use "
                        + (Self.providers[channel] ?? []).sorted().joined(separator: " or ")
                ))
        }
        switch channel {
        case .email:
            if (try? EmailAddress(parsing: address)) == nil {
                problems.append(("address", "'\(address)' is not an e-mail address"))
            }
            if (physicalAddress ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(("physical_address", "e-mail senders need the postal address their messages carry"))
            }
        case .sms:
            if (try? PhoneNumber(parsing: address, defaultCountry: nil)) == nil {
                problems.append(("address", "'\(address)' is not an E.164 number"))
            }
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty, channel == .email {
            problems.append(("name", "the name recipients see is required"))
        }
        for (field, value) in [("daily_limit", dailyLimit), ("hourly_limit", hourlyLimit)] {
            if let value, value < 1 { problems.append((field, "must be at least 1, or left out for no limit")) }
        }
        if minIntervalSeconds < 0 { problems.append(("min_interval_seconds", "must not be negative")) }
        if jitterSeconds < 0 { problems.append(("jitter_seconds", "must not be negative")) }
        return problems
    }
}

/// The workspace's senders.
public struct SenderStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Adds the sender, or updates the one with the same channel and address.
    public func save(_ sender: OutreachSender, in workspace: WorkspaceID) async throws -> OutreachSender {
        var saved = sender
        if sender.channel == .sms {
            saved.address = (try? PhoneNumber(parsing: sender.address, defaultCountry: nil))?.e164 ?? sender.address
        }
        if sender.channel == .email { saved.address = sender.address.lowercased() }
        let now = time.now()
        let row = try await database.sql.raw(
            """
            INSERT INTO senders (id, workspace_id, channel, provider, address, name, title, physical_address,
                                 daily_limit, hourly_limit, min_interval_seconds, jitter_seconds, status,
                                 created_at, updated_at)
            VALUES (\(bind: ids()), \(bind: workspace.rawValue), \(bind: saved.channel.rawValue),
                    \(bind: saved.provider), \(bind: saved.address), \(bind: saved.name), \(bind: saved.title),
                    \(bind: saved.physicalAddress), \(bind: saved.dailyLimit), \(bind: saved.hourlyLimit),
                    \(bind: saved.minIntervalSeconds), \(bind: saved.jitterSeconds), \(bind: saved.status.rawValue),
                    \(bind: now), \(bind: now))
            ON CONFLICT (workspace_id, channel, address) DO UPDATE SET provider = excluded.provider,
                name = excluded.name, title = excluded.title, physical_address = excluded.physical_address,
                daily_limit = excluded.daily_limit, hourly_limit = excluded.hourly_limit,
                min_interval_seconds = excluded.min_interval_seconds, jitter_seconds = excluded.jitter_seconds,
                status = excluded.status, updated_at = excluded.updated_at
            RETURNING id
            """
        ).first()
        saved.id = try row?.decode(column: "id", as: String.self) ?? saved.id
        return saved
    }

    public func list(in workspace: WorkspaceID) async throws -> [OutreachSender] {
        try await database.sql.raw(
            """
            SELECT * FROM senders WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY channel, created_at, id
            """
        ).all().map(Self.decode)
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> OutreachSender? {
        try await database.sql.raw(
            "SELECT * FROM senders WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
        ).first().map(Self.decode)
    }

    /// Deletes the sender; its messages keep their history.
    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            "DELETE FROM senders WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING id"
        ).all().isEmpty
    }

    static func decode(_ row: any SQLRow) throws -> OutreachSender {
        OutreachSender(
            id: try row.decode(column: "id"),
            channel: OutreachSender.Channel(rawValue: try row.decode(column: "channel")) ?? .email,
            provider: try row.decode(column: "provider"), address: try row.decode(column: "address"),
            name: try row.decode(column: "name"), title: try row.decode(column: "title", as: String?.self),
            physicalAddress: try row.decode(column: "physical_address", as: String?.self),
            dailyLimit: try row.decode(column: "daily_limit", as: Int?.self),
            hourlyLimit: try row.decode(column: "hourly_limit", as: Int?.self),
            minIntervalSeconds: try row.decode(column: "min_interval_seconds", as: Int.self),
            jitterSeconds: try row.decode(column: "jitter_seconds", as: Int.self),
            status: OutreachSender.Status(rawValue: try row.decode(column: "status")) ?? .paused)
    }
}
