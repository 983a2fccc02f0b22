// The smallest WASI command: prints one line and exits with a code taken from its arguments,
// so `hearth run` can be checked for both output and exit status.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("Hello from WebAssembly!\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
