import Foundation
import Synchronization

/// Wakes the requests waiting for runs this process finishes. Every waiter is resumed exactly once: by the
/// run finishing or by its timeout, whichever removes it from the table first.
public final class ScenarioRunCompletions: Sendable {
    private let waiters = Mutex<[String: [(token: Int, continuation: CheckedContinuation<Void, Never>)]]>([:])
    private let tokens = Mutex(0)

    public init() {}

    public func finished(_ id: String) {
        let woken = waiters.withLock { $0.removeValue(forKey: id) ?? [] }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Returns when the run finishes here or after `timeout`, whichever comes first.
    func wait(for id: String, upTo timeout: Duration) async {
        let token = tokens.withLock { value -> Int in
            value += 1
            return value
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters.withLock { $0[id, default: []].append((token, continuation)) }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id, token)
            }
        }
    }

    private func expire(_ id: String, _ token: Int) {
        let waiter = waiters.withLock { table -> CheckedContinuation<Void, Never>? in
            guard let index = table[id]?.firstIndex(where: { $0.token == token }) else { return nil }
            let found = table[id]!.remove(at: index).continuation
            if table[id]!.isEmpty { table[id] = nil }
            return found
        }
        waiter?.resume()
    }
}
