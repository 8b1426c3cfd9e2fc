import Foundation
import LeadgenCore

extension CSVReader {
    /// Reads a file in 256 KiB chunks: memory stays flat whatever the file's size.
    public static func file(at path: String) throws -> CSVReader {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CSVFileError.cannotOpen(path) }
        return CSVReader {
            guard let data = try handle.read(upToCount: 256 * 1024), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return [UInt8](data)
        }
    }
}

public enum CSVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path): "cannot open \(path) for reading"
        }
    }
}
