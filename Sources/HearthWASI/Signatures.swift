import HearthBinary

/// The signatures of all 46 `wasi_snapshot_preview1` functions, in the preview1 witx order.
/// `I` is an i32 parameter, `L` an i64; every function returns an errno (i32) except `proc_exit`.
enum WASISignatures {
    static let all: [(name: String, parameters: String)] = [
        ("args_get", "II"), ("args_sizes_get", "II"), ("environ_get", "II"), ("environ_sizes_get", "II"),
        ("clock_res_get", "II"), ("clock_time_get", "ILI"),
        ("fd_advise", "ILLI"), ("fd_allocate", "ILL"), ("fd_close", "I"), ("fd_datasync", "I"),
        ("fd_fdstat_get", "II"), ("fd_fdstat_set_flags", "II"), ("fd_fdstat_set_rights", "ILL"),
        ("fd_filestat_get", "II"), ("fd_filestat_set_size", "IL"), ("fd_filestat_set_times", "ILLI"),
        ("fd_pread", "IIILI"), ("fd_prestat_get", "II"), ("fd_prestat_dir_name", "III"),
        ("fd_pwrite", "IIILI"), ("fd_read", "IIII"), ("fd_readdir", "IIILI"), ("fd_renumber", "II"),
        ("fd_seek", "ILII"), ("fd_sync", "I"), ("fd_tell", "II"), ("fd_write", "IIII"),
        ("path_create_directory", "III"), ("path_filestat_get", "IIIII"),
        ("path_filestat_set_times", "IIIILLI"), ("path_link", "IIIIIII"),
        ("path_open", "IIIIILLII"), ("path_readlink", "IIIIII"), ("path_remove_directory", "III"),
        ("path_rename", "IIIIII"), ("path_symlink", "IIIII"), ("path_unlink_file", "III"),
        ("poll_oneoff", "IIII"), ("proc_exit", "I"), ("proc_raise", "I"), ("sched_yield", ""),
        ("random_get", "II"), ("sock_accept", "III"), ("sock_recv", "IIIIII"), ("sock_send", "IIIII"),
        ("sock_shutdown", "II"),
    ]

    static func type(of name: String) -> FunctionType? {
        all.first(where: { $0.name == name }).map(type)
    }

    /// The type of an entry of `all`.
    static func type(_ entry: (name: String, parameters: String)) -> FunctionType {
        FunctionType(parameters: entry.parameters.map { $0 == "L" ? .i64 : .i32 },
                     results: entry.name == "proc_exit" ? [] : [.i32])
    }
}
