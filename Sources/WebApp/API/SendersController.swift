import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/senders`: the mailboxes and numbers that send a workspace's sequences, each with its limits.
/// E-mail senders need the postal address their messages carry.
struct SendersController {
    let senders: SenderStore

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("senders", use: list)
        group.post("senders", use: save)
        group.delete("senders/:id", use: delete)
    }

    struct SenderDTO: Encodable {
        var id, channel, provider, address, name, status: String
        var title, physicalAddress: String?
        var dailyLimit, hourlyLimit: Int?
        var minIntervalSeconds, jitterSeconds: Int

        init(_ sender: OutreachSender) {
            id = sender.id
            channel = sender.channel.rawValue
            provider = sender.provider
            address = sender.address
            name = sender.name
            status = sender.status.rawValue
            title = sender.title
            physicalAddress = sender.physicalAddress
            dailyLimit = sender.dailyLimit
            hourlyLimit = sender.hourlyLimit
            minIntervalSeconds = sender.minIntervalSeconds
            jitterSeconds = sender.jitterSeconds
        }
    }

    struct Page: Encodable { var data: [SenderDTO] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await senders.list(in: context.workspace).map(SenderDTO.init)))
    }

    /// Adds a sender, or updates the one with the same channel and address.
    @Sendable func save(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context),
            allowed: [
                "channel", "provider", "address", "name", "title", "physical_address", "daily_limit", "hourly_limit",
                "min_interval_seconds", "jitter_seconds", "status",
            ])
        let channel = fields.string("channel", required: true).flatMap { text in
            OutreachSender.Channel(rawValue: text)
                ?? {
                    fields.fail("channel", "expected email or sms")
                    return nil
                }()
        }
        let status = fields.string("status").map { text in
            OutreachSender.Status(rawValue: text)
                ?? {
                    fields.fail("status", "expected active or paused")
                    return .paused
                }()
        }
        var sender = OutreachSender(
            channel: channel ?? .email,
            provider: fields.string("provider") ?? (channel == .sms ? "twilio" : "sendgrid"),
            address: fields.string("address", required: true) ?? "", name: fields.string("name") ?? "",
            title: fields.string("title"), physicalAddress: fields.string("physical_address"),
            dailyLimit: fields.integer("daily_limit", in: 1...1_000_000),
            hourlyLimit: fields.integer("hourly_limit", in: 1...1_000_000),
            minIntervalSeconds: fields.integer("min_interval_seconds", in: 0...86400) ?? 0,
            jitterSeconds: fields.integer("jitter_seconds", in: 0...86400) ?? 0, status: status ?? .active)
        try fields.check()
        let problems = sender.problems
        guard problems.isEmpty else {
            throw Problem.invalid(problems.map { .init(field: $0.field, message: $0.message) })
        }
        sender = try await senders.save(sender, in: context.workspace)
        return try JSONResponse.make(SenderDTO(sender), status: .created)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await senders.delete(id, in: context.workspace) else { throw Problem.notFound("sender \(id)") }
        return Response(status: .noContent)
    }
}
