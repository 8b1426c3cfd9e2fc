import Foundation
import LeadgenCore
import Synchronization

extension IDGenerator {
    /// Ids shaped like version 7 UUIDs that count up from 1, the same in every run: responses that show
    /// them can be compared whole.
    public static func sequential() -> IDGenerator {
        let counter = Mutex(0)
        return IDGenerator {
            let next = counter.withLock { value in
                value += 1
                return value
            }
            return String(format: "00000000-0000-7000-8000-%012d", next)
        }
    }
}
