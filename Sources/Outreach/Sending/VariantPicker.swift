import Crypto
import Foundation

/// Which variant of an A/B-tested e-mail a lead gets: drawn by weight from a hash of the enrolment, so the
/// same lead always gets the same variant (a retried step never switches) and the split follows the weights.
public enum VariantPicker {
    public static func pick(_ variants: [EmailVariant], for key: String) -> EmailVariant? {
        let total = variants.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return variants.first }
        let digest = SHA256.hash(data: Data(key.utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var point = Int(number % UInt64(total))
        for variant in variants where variant.weight > 0 {
            if point < variant.weight { return variant }
            point -= variant.weight
        }
        return variants.last
    }
}
