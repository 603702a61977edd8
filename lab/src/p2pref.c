/*
 * p2pref: the lab's C reference for `p2pscope copy`.
 *
 * It does the same I/O as `p2pscope copy SRC DST --p2pmem ALLOC -s CHUNK -c CHUNKS -D SECONDS` with one thread:
 * an O_DIRECT pread of chunk i from SRC into one chunk of p2pmem mapped from ALLOC (MAP_SHARED, offset 0, as the
 * kernel's p2pmem/allocate file requires), then an O_DIRECT pwrite of that chunk to DST at the same offset; the
 * chunks are repeated, whole passes as copy does, until SECONDS have passed. It never touches the mapping itself: the drives DMA into and out
 * of it. Throughput is sampled once a second, as `copy` does, so the two can be compared sample for sample.
 *
 * It writes DST, so the lab runs it only inside the guest, on the guest's scratch drives.
 *
 * usage: p2pref SRC DST ALLOC [-s CHUNK] [-c CHUNKS] [-D SECONDS] [-o OFFSET] [--json]
 *        (ALLOC may be "host" for page-aligned host memory instead of p2pmem)
 * exit:  0 copied, 2 usage, 4 a syscall failed (its errno is printed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 4096

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: p2pref SRC DST ALLOC|host [-s CHUNK] [-c CHUNKS] [-D SECONDS] [-o OFFSET] [--json]\n");
	return 2;
}

/* 4096, 4k, 1M, 2G */
static int parse_size(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int fail(const char *what, long long at)
{
	int e = errno;
	fprintf(stderr, "p2pref: %s at offset %lld: %s (errno %d)\n", what, at, strerror(e), e);
	return 4;
}

/* The whole chunk, however many calls it takes (as copy does). */
static int full(int reading, int fd, char *buf, long long len, long long pos)
{
	long long done = 0;
	while (done < len) {
		ssize_t n = reading ? pread(fd, buf + done, len - done, pos + done)
				    : pwrite(fd, buf + done, len - done, pos + done);
		if (n < 0)
			return -1;
		if (n == 0) {
			if (reading) { /* past the end of a file: the rest reads as zeros */
				memset(buf + done, 0, len - done);
				return 0;
			}
			errno = EIO;
			return -1;
		}
		done += n;
	}
	return 0;
}

static int open_device(const char *path, int flags)
{
	struct stat st;
	/* Block devices are opened exclusively, files may be created: copy's rules. */
	if (stat(path, &st) == 0 && S_ISBLK(st.st_mode))
		return open(path, flags | O_DIRECT | O_EXCL);
	return open(path, flags | O_DIRECT | (flags == O_RDONLY ? 0 : O_CREAT), 0644);
}

int main(int argc, char **argv)
{
	long long chunk = 4096, chunks = 1024, offset = 0;
	double duration = -1;
	int json = 0;
	const char *pos[3];
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if ((!strcmp(a, "-s") || !strcmp(a, "-c") || !strcmp(a, "-D") || !strcmp(a, "-o")) && i + 1 < argc) {
			const char *v = argv[++i];
			if (a[1] == 'D') {
				char *end;
				duration = strtod(v, &end);
				if (*end || end == v)
					return usage();
			} else if (parse_size(v, a[1] == 's' ? &chunk : a[1] == 'c' ? &chunks : &offset)) {
				return usage();
			}
		} else if (a[0] != '-' && npos < 3) {
			pos[npos++] = a;
		} else {
			return usage();
		}
	}
	if (npos != 3 || chunk <= 0 || chunk % 512 || chunks <= 0 || offset % 512)
		return usage();

	/* One device named twice is opened once (O_EXCL would refuse the second open). */
	int same = !strcmp(pos[0], pos[1]);
	int src = open_device(pos[0], same ? O_RDWR : O_RDONLY);
	if (src < 0)
		return fail("open SRC", 0);
	int dst = same ? src : open_device(pos[1], O_WRONLY);
	if (dst < 0)
		return fail("open DST", 0);
	char *buf;
	int host = !strcmp(pos[2], "host");
	if (host) {
		buf = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	} else {
		int fd = open(pos[2], O_RDWR);
		if (fd < 0)
			return fail("open ALLOC", 0);
		buf = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	}
	if (buf == MAP_FAILED)
		return fail("mmap", 0);

	static double samples[MAX_SAMPLES];
	int nsamples = 0;
	long long moved = 0, last_moved = 0;
	double t0 = now(), last_t = t0, deadline = duration > 0 ? t0 + duration : 0;
	do {
		for (long long i = 0; i < chunks; i++) {
			long long at = offset + i * chunk;
			if (full(1, src, buf, chunk, at))
				return fail("pread", at);
			moved += chunk;
			if (full(0, dst, buf, chunk, at))
				return fail("pwrite", at);
			double t = now();
			if (t - last_t >= 1.0) {
				if (nsamples < MAX_SAMPLES)
					samples[nsamples++] = (moved - last_moved) / (t - last_t) / 1e6;
				last_moved = moved;
				last_t = t;
			}
		}
	} while (deadline && now() < deadline);
	double secs = now() - t0;

	if (json) {
		printf("{\"tool\":\"p2pref\",\"source\":\"%s\",\"destination\":\"%s\",\"buffer\":\"%s\","
		       "\"chunkSize\":%lld,\"chunks\":%lld,\"bytesMoved\":%lld,\"seconds\":%.6f,\"rateMBs\":%.3f,"
		       "\"perSecondMBs\":[", pos[0], pos[1], pos[2], chunk, chunks, moved, secs, moved / secs / 1e6);
		for (int i = 0; i < nsamples; i++)
			printf("%s%.3f", i ? "," : "", samples[i]);
		printf("]}\n");
	} else {
		printf("p2pref: %s -> %s through %s: %lld bytes in %.4f s  %.2f MB/s\n", pos[0], pos[1], pos[2],
		       moved, secs, moved / secs / 1e6);
		printf(" per second (MB/s):");
		for (int i = 0; i < nsamples; i++)
			printf(" %.1f", samples[i]);
		printf("\n");
	}
	munmap(buf, chunk);
	close(src);
	if (!same)
		close(dst);
	return 0;
}
