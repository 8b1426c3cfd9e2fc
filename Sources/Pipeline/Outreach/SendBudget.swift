import Foundation
import LeadgenCore
import Storage
import Synchronization

/// The sending limits one dispatcher keeps to: per sender, at most its hourly and daily number of messages
/// over rolling windows and at least its interval (plus jitter) between two messages; per recipient domain,
/// at least `domainInterval` between two messages of a workspace. Senders of a channel take turns. Messages
/// beyond the limits wait for the moment the limits free up, so a backlog (after downtime, say) drains at the
/// limits' pace instead of bursting. Only one dispatcher runs at a time, so the counts here are the counts.
final class SendBudget: Sendable {
    enum Decision: Equatable {
        case send(OutreachSender)
        case wait(until: Date, reason: String)
        case noSender
    }

    struct SenderState {
        var sender: OutreachSender
        /// When its messages of the last 24 hours went, oldest first (kept only when it has limits).
        var sends: [Date]
        var nextAllowed: Date
    }

    struct State {
        var senders: [String: SenderState] = [:]
        /// Senders per workspace and channel, in turn order, and whose turn it is.
        var turns: [String: [String]] = [:]
        var next: [String: Int] = [:]
        var domainNext: [String: Date] = [:]
        var loaded: Set<String> = []
    }

    let domainInterval: TimeInterval
    let jitter: @Sendable (Int) -> Int
    private let state = Mutex(State())

    init(domainInterval: TimeInterval, jitter: @escaping @Sendable (Int) -> Int = { Int.random(in: 0...$0) }) {
        self.domainInterval = domainInterval
        self.jitter = jitter
    }

    static func key(_ workspace: WorkspaceID, _ channel: OutreachSender.Channel) -> String {
        workspace.rawValue + "|" + channel.rawValue
    }

    func isLoaded(_ workspace: WorkspaceID) -> Bool {
        state.withLock { $0.loaded.contains(workspace.rawValue) }
    }

    /// Sets a workspace's senders with what they sent lately.
    func load(
        _ workspace: WorkspaceID, senders: [OutreachSender], recent: [String: [Date]], last: [String: Date]
    ) {
        state.withLock { state in
            state.loaded.insert(workspace.rawValue)
            for channel in OutreachSender.Channel.allCases {
                let ofChannel = senders.filter { $0.channel == channel && $0.status == .active }
                state.turns[Self.key(workspace, channel)] = ofChannel.map(\.id)
                for sender in ofChannel {
                    let lastSend = last[sender.id]
                    state.senders[sender.id] = SenderState(
                        sender: sender, sends: (recent[sender.id] ?? []).sorted(),
                        nextAllowed: lastSend.map { $0.addingTimeInterval(TimeInterval(sender.minIntervalSeconds)) }
                            ?? .distantPast)
                }
            }
        }
    }

    func needsDomain(_ workspace: WorkspaceID, _ domain: String) -> Bool {
        domainInterval > 0 && state.withLock { $0.domainNext[workspace.rawValue + "|" + domain] == nil }
    }

    func loadDomain(_ workspace: WorkspaceID, _ domain: String, lastSend: Date?) {
        state.withLock { state in
            let key = workspace.rawValue + "|" + domain
            if state.domainNext[key] == nil {
                state.domainNext[key] = lastSend.map { $0.addingTimeInterval(domainInterval) } ?? .distantPast
            }
        }
    }

    /// Takes a slot for a message to `domain` on `channel` now, from the sender whose turn it is among those
    /// under their limits; or says when to try again.
    func reserve(_ workspace: WorkspaceID, _ channel: OutreachSender.Channel, domain: String?, now: Date) -> Decision {
        state.withLock { state in
            let key = Self.key(workspace, channel)
            guard let turn = state.turns[key], !turn.isEmpty else { return .noSender }
            let domainKey = domain.map { workspace.rawValue + "|" + $0 }
            if domainInterval > 0, let domainKey, let next = state.domainNext[domainKey], next > now {
                return .wait(until: next, reason: "recipient_domain_pacing")
            }
            var earliest = Date.distantFuture
            let start = state.next[key] ?? 0
            for offset in 0..<turn.count {
                let id = turn[(start + offset) % turn.count]
                guard var sender = state.senders[id] else { continue }
                sender.sends.removeAll { $0 <= now.addingTimeInterval(-86400) }
                let freeAt = Self.freeAt(sender, now: now)
                state.senders[id] = sender
                guard freeAt <= now else {
                    earliest = min(earliest, freeAt)
                    continue
                }
                if sender.sender.hourlyLimit != nil || sender.sender.dailyLimit != nil { sender.sends.append(now) }
                sender.nextAllowed = now.addingTimeInterval(
                    TimeInterval(sender.sender.minIntervalSeconds + jitter(sender.sender.jitterSeconds)))
                state.senders[id] = sender
                state.next[key] = (start + offset + 1) % turn.count
                if domainInterval > 0, let domainKey {
                    state.domainNext[domainKey] = now.addingTimeInterval(domainInterval)
                }
                return .send(sender.sender)
            }
            return .wait(until: earliest, reason: "sender_limits")
        }
    }

    /// Gives a slot back: the message did not go out.
    func release(_ sender: OutreachSender, domain: String?, workspace: WorkspaceID, at date: Date) {
        state.withLock { state in
            guard var entry = state.senders[sender.id] else { return }
            if let index = entry.sends.lastIndex(of: date) { entry.sends.remove(at: index) }
            entry.nextAllowed = min(entry.nextAllowed, date)
            state.senders[sender.id] = entry
            if let domain { state.domainNext[workspace.rawValue + "|" + domain] = date }
        }
    }

    /// When the sender may send next: after its interval, and when its hourly and daily windows have room.
    static func freeAt(_ entry: SenderState, now: Date) -> Date {
        var free = entry.nextAllowed
        if let hourly = entry.sender.hourlyLimit {
            let lastHour = entry.sends.filter { $0 > now.addingTimeInterval(-3600) }
            if lastHour.count >= hourly { free = max(free, lastHour[lastHour.count - hourly].addingTimeInterval(3600)) }
        }
        if let daily = entry.sender.dailyLimit, entry.sends.count >= daily {
            free = max(free, entry.sends[entry.sends.count - daily].addingTimeInterval(86400))
        }
        return free
    }
}
