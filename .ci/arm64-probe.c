/*
 * What an arm64 program sees of the machine under qemu-user: the page size, the byte order, whether the CPU has
 * the LSE atomics (so which branch GCC's outline atomics take) and whether char is signed. .ci/arm64 prints it
 * beside the C test results and refuses to call the run an arm64 result when the page size or byte order differ
 * from the host's Java Media Driver, which shares its memory-mapped files with the tests.
 */
#include <asm/hwcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
    {
        fprintf(stderr, "usage: %s HOST_PAGE_SIZE\n", argv[0]);
        return 2;
    }
    const long host_page_size = strtol(argv[1], NULL, 10);
    const long page_size = sysconf(_SC_PAGESIZE);
    const int little_endian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    const int lse = 0 != (getauxval(AT_HWCAP) & HWCAP_ATOMICS);
    printf("arm64 guest: page size %ld (host %ld), %s-endian, LSE atomics %s, char %s\n", page_size, host_page_size,
        little_endian ? "little" : "big", lse ? "yes" : "no (LL/SC: LDAXR/STLXR)",
        (char)-1 < 0 ? "signed" : "unsigned");
    if (page_size != host_page_size || !little_endian)
    {
        fprintf(stderr, "the guest's page size or byte order differs from the host's Media Driver\n");
        return 1;
    }
    return 0;
}
