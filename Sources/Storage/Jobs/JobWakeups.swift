/// Wakes idle workers when a job is enqueued, instead of letting them sleep until their next poll.
public actor JobWakeups {
    private var pending = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    public init() {}

    /// Wakes every waiting worker, or the next one to wait.
    public func signal() {
        guard !waiters.isEmpty else {
            pending = true
            return
        }
        let woken = waiters.values
        waiters.removeAll()
        for waiter in woken { waiter.resume() }
    }

    /// Returns at the next signal, or after `timeout` at the latest.
    public func wait(upTo timeout: Duration) async {
        if pending {
            pending = false
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(id)
        }
        await withCheckedContinuation { continuation in waiters[id] = continuation }
        timer.cancel()
    }

    private func expire(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
