// A probe for the sandbox tests: performs one raw WASI call on the first preopened directory
// (fd 3) and prints "errno N" (0 on success), plus what was read for `open`.
//   sandbox.wasm open|openf|create|createf|stat|statf|mkdir|rmdir|unlink|readlink|touch PATH
//   sandbox.wasm rename|link|symlink FROM TO
// A trailing "f" follows a symlink in the last component (lookupflags symlink_follow).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int report(__wasi_errno_t e) {
    printf("errno %d\n", (int)e);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    const char *op = argv[1], *path = argv[2], *other = argc > 3 ? argv[3] : "";
    const __wasi_fd_t dir = 3;
    __wasi_lookupflags_t follow = op[strlen(op) - 1] == 'f' ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0;
    __wasi_fd_t fd;
    __wasi_errno_t e;
    if (!strncmp(op, "open", 4)) {
        e = __wasi_path_open(dir, follow, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
        if (e) return report(e);
        char buffer[128] = {0};
        __wasi_iovec_t iov = {(uint8_t *)buffer, sizeof buffer - 1};
        __wasi_size_t n;
        e = __wasi_fd_read(fd, &iov, 1, &n);
        report(e);
        printf("read %s\n", buffer);
        return 0;
    }
    if (!strncmp(op, "create", 6)) {
        e = __wasi_path_open(dir, follow, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                             __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
        if (e) return report(e);
        __wasi_ciovec_t iov = {(const uint8_t *)"pwned", 5};
        __wasi_size_t n;
        return report(__wasi_fd_write(fd, &iov, 1, &n));
    }
    if (!strncmp(op, "stat", 4)) {
        __wasi_filestat_t st;
        return report(__wasi_path_filestat_get(dir, follow, path, &st));
    }
    if (!strcmp(op, "mkdir")) return report(__wasi_path_create_directory(dir, path));
    if (!strcmp(op, "rmdir")) return report(__wasi_path_remove_directory(dir, path));
    if (!strcmp(op, "unlink")) return report(__wasi_path_unlink_file(dir, path));
    if (!strcmp(op, "touch"))
        return report(__wasi_path_filestat_set_times(dir, 0, path, 0, 0,
                                                     __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    if (!strcmp(op, "readlink")) {
        uint8_t buffer[128];
        __wasi_size_t n;
        return report(__wasi_path_readlink(dir, path, buffer, sizeof buffer, &n));
    }
    if (!strcmp(op, "rename")) return report(__wasi_path_rename(dir, path, dir, other));
    if (!strcmp(op, "link")) return report(__wasi_path_link(dir, 0, path, dir, other));
    if (!strcmp(op, "symlink")) return report(__wasi_path_symlink(path, dir, other));
    return 2;
}
