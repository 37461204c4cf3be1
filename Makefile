# Top-level entry points.  Every target first makes sure the Debian packages
# the build and the tests need are installed (apt-get, as root), so that a
# fresh Debian 12 machine needs nothing else:
#   make demo   build, then run the scripted demo session (scripts/demo.sh)
#   make check  build and run the whole test suite, plain and then under
#               AddressSanitizer + UndefinedBehaviorSanitizer
BUILD      ?= build
BUILD_SAN  ?= build-asan
MESON_TEST ?= meson test --num-processes 2 --print-errorlogs

# Build tools and libraries, then the peers the tests compare against.
DEB_PKGS = meson ninja-build pkg-config gcc clang libglib2.0-dev libxml2-dev libjson-glib-dev \
           libreadline-dev libxml2-utils libvirt-clients libvirt-dev python3 \
           python3-libvirt xenstore-utils xen-utils-4.17 libxen-dev python3-pyxs curl diffutils procps

.PHONY: all deps build demo check check-plain check-sanitize check-realxen bench-realxen clean

all: build

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "need root to install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

demo: build
	./scripts/demo.sh $(BUILD)

check-plain: build
	$(MESON_TEST) -C $(BUILD)

$(BUILD_SAN)/build.ninja: | deps
	meson setup $(BUILD_SAN) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# Sanitizer reports go to files, one per process, so that those of
# processes whose stderr nobody reads (a daemonized xensim) are not lost;
# any report fails the run, after the tests, and is printed.
SAN_LOGS = $(CURDIR)/$(BUILD_SAN)/sanitizer-logs
check-sanitize: deps $(BUILD_SAN)/build.ninja
	meson compile -C $(BUILD_SAN)
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	rc=0; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SAN_LOGS)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	$(MESON_TEST) -C $(BUILD_SAN) || rc=$$?; \
	if [ -n "$$(ls -A $(SAN_LOGS))" ]; then \
	  echo "sanitizer reports ($(SAN_LOGS)):"; \
	  for f in $(SAN_LOGS)/*; do echo "== $$f"; cat "$$f"; done; \
	  [ $$rc != 0 ] || rc=1; \
	fi; \
	exit $$rc

check: check-plain check-sanitize

# Not part of `check`: boots real Xen 4.17 under QEMU (../shared/realxen/
# xenhost) and runs tests/realxen/ in dom0; prints its wall time.
check-realxen: build
	./tests/realxen/run.sh $(BUILD)

# Not part of `check` nor of `meson test --benchmark`: virDomainGetInfo vs a
# bare privcmd hypercall vs libxenctrl, measured inside real Xen 4.17 dom0.
bench-realxen: build
	./bench/realxen/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
