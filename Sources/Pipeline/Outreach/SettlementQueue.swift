import Foundation
import Storage

/// Records sent messages in groups: each send waits for the transaction that records it, and the sends that
/// finish while one is being written go together in the next (group commit). A send holds its place among the
/// dispatcher's concurrent ones until it is recorded, so the messages a crash can leave unsettled are never
/// more than the sends in flight.
actor SettlementQueue {
    let store: MessageStore
    private var pending: [(MessageStore.SentSettlement, CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    init(store: MessageStore) { self.store = store }

    func settle(_ item: MessageStore.SentSettlement) async throws {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(item, continuation)
        }
    }

    private func enqueue(_ item: MessageStore.SentSettlement, _ continuation: CheckedContinuation<Void, any Error>) {
        pending.append((item, continuation))
        guard !flushing else { return }
        flushing = true
        Task { await flush() }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                try await store.settleSent(batch.map(\.0))
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
