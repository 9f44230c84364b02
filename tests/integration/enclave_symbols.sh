#!/usr/bin/env bash
# enclave_symbols.sh <libintegritee-enclave.so> <edl.h>
#
# The enclave performs no I/O and no syscalls but randomness (DESIGN.md §4): everything else
# goes through ocalls. This checks the library's dynamic symbols:
#  - every undefined (imported) symbol is on the allowlist below and none is forbidden;
#  - the defined (exported) symbols are exactly the ecalls named in edl.h (EDL_SYM_* strings).
# It first proves it can fail: a list with a forbidden import and one with an extra export
# must both be rejected, and a clean list accepted.
set -uo pipefail
so=${1:?usage: enclave_symbols.sh <lib.so> <edl.h>}
edl=${2:?usage: enclave_symbols.sh <lib.so> <edl.h>}

# Forbidden outright (files, sockets, clocks, environment, stdio, processes, raw syscalls,
# dynamic loading) - listed so the failure message says why.
forbidden_re='^(open|open64|openat|openat64|creat|fopen|fopen64|fdopen|freopen|read|pread|pread64|readv|write|pwrite|pwrite64|writev|close|lseek|lseek64|stat|fstat|lstat|unlink|rename|mkdir|socket|connect|bind|listen|accept|accept4|send|sendto|sendmsg|recv|recvfrom|recvmsg|select|poll|epoll_wait|time|clock_gettime|gettimeofday|getenv|secure_getenv|setenv|printf|fprintf|vfprintf|vprintf|dprintf|puts|fputs|fputc|putc|putchar|fwrite|fread|fflush|perror|stdout|stderr|stdin|syscall|dlopen|dlsym|dlclose|fork|vfork|clone|system|popen|kill|signal|sigaction|exit|_exit|abort|mmap|mprotect|ioctl|fcntl|sleep|usleep|nanosleep|exec[a-z]*|posix_spawn[a-z]*|BIO_new_file|BIO_new_fp|BIO_s_file|BIO_s_socket|BIO_s_connect|OPENSSL_init_ssl|CONF_modules_load_file)$'

# Allowed: pure libc (memory, strings, formatting into buffers, locks), the toolchain's
# runtime hooks, randomness, and the pure-computation libraries the enclave links.
# TLS of the trusted RPC (src/proto/tls.c) adds memory BIOs only (file/socket BIOs stay
# forbidden) and the in-memory certificate builders.
allowed_re='^(memcpy|memmove|memset|memcmp|bcmp|memchr|strlen|strnlen|strcmp|strncmp|strchr|strrchr|strstr|strtoul|strtoull|strtol|strtoll|snprintf|vsnprintf|malloc|calloc|realloc|free|qsort|bsearch|__stack_chk_fail|__cxa_finalize|__gmon_start__|__tls_get_addr|__assert_fail|__errno_location|_ITM_deregisterTMCloneTable|_ITM_registerTMCloneTable|pthread_rwlock_[a-z]+|pthread_mutex_[a-z]+|pthread_once|getrandom|(BN|EVP|OSSL|RAND|ERR|CRYPTO|OPENSSL|RSA|EC|ECDSA|HMAC|PKCS5|SHA[0-9]*|AES|X509|ASN1|PEM|SSL|TLS|DTLS)_[A-Za-z0-9_]+|RAND_bytes|XXH[A-Za-z0-9_]+|crypto_[a-z0-9_]+|sodium_[a-z0-9_]+|randombytes_[a-z0-9_]+|secp256k1_[a-z0-9_]+|json_[a-z0-9_]+|jsonp_[a-z0-9_]+|wslay_[a-z0-9_]+|http_parser_[a-z0-9_]+|http_should_keep_alive|strcasecmp|strncasecmp|strpbrk|BIO_(new|free|s_mem|new_mem_buf|ctrl|ctrl_pending|read_ex|write_ex)|GENERAL_NAMES?_[a-z0-9_]+|X509V3_(EXT_conf_nid|set_ctx)|a2i_IPADDRESS|i2d_X509)$'

# check_imports: reads symbol names on stdin; prints offenders; returns 1 if any.
check_imports() {
  local bad=0 sym
  while read -r sym; do
    [ -z "$sym" ] && continue
    if [[ $sym =~ $forbidden_re ]]; then
      echo "enclave_symbols: FORBIDDEN import: $sym"; bad=1
    elif ! [[ $sym =~ $allowed_re ]]; then
      echo "enclave_symbols: import not on the allowlist: $sym"; bad=1
    fi
  done
  return $bad
}

# check_exports <expected-file>: reads exported names on stdin; differences fail.
check_exports() {
  local got
  got=$(sort -u)
  if [ "$got" != "$(sort -u "$1")" ]; then
    echo "enclave_symbols: exports differ from the ecalls in edl.h (< exported, > expected):"
    diff <(echo "$got") <(sort -u "$1")
    return 1
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -oE '"ecall_[a-z0-9_]+"' "$edl" | tr -d '"' | sort -u >"$tmp/expected"
[ -s "$tmp/expected" ] || { echo "enclave_symbols: no EDL_SYM_* ecalls found in $edl"; exit 1; }

# Self-test: the checks must reject what they are meant to reject.
printf 'memcpy\nEVP_PKEY_free\nfopen\n' | check_imports >/dev/null &&
  { echo "enclave_symbols: self-test failed: fopen was accepted"; exit 1; }
printf 'memcpy\nmystery_io_function\n' | check_imports >/dev/null &&
  { echo "enclave_symbols: self-test failed: an unknown import was accepted"; exit 1; }
printf 'memcpy\nEVP_PKEY_free\ncrypto_sign_detached\n' | check_imports >/dev/null ||
  { echo "enclave_symbols: self-test failed: a clean list was rejected"; exit 1; }
{ cat "$tmp/expected"; echo itee_secret_helper; } | check_exports "$tmp/expected" >/dev/null &&
  { echo "enclave_symbols: self-test failed: an extra export was accepted"; exit 1; }

# nm prints "U name@VERSION" / "w name"; keep the name without its version.
nm -D --undefined-only "$so" | awk '{print $NF}' | sed 's/@.*//' >"$tmp/imports" ||
  { echo "enclave_symbols: nm failed on $so"; exit 1; }
nm -D --defined-only "$so" | awk '$2 ~ /^[TtDdBbRrVvWwi]$/ {print $3}' >"$tmp/exports"
fail=0
check_imports <"$tmp/imports" || fail=1
check_exports "$tmp/expected" <"$tmp/exports" || fail=1
if [ $fail -eq 0 ]; then
  echo "enclave_symbols: ok ($(wc -l <"$tmp/imports") imports allowed, exports = $(tr '\n' ' ' <"$tmp/expected"))"
fi
exit $fail
