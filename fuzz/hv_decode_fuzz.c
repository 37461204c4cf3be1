/*
 * hv_decode_fuzz.c: libFuzzer target for the hypercall reply decoders and
 * the simulator framing (src/xen/hypervisor_abi.c).
 *
 * Byte 0 picks a row of the ABI table, byte 1 an operation (and a list
 * size); the rest becomes the reply arena, at whatever length the fuzzer
 * chose, so short, long and garbage replies all reach the decoders.  The
 * same bytes are also parsed as simulator request and reply headers.  The
 * decoders must never read outside the arena nor accept a count larger
 * than the buffer that was offered.  Seed corpus: tests/hypervisordata/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "xen/hypervisor_abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t ntable;
    const xvHvAbi *table = xvHvAbiTable(&ntable);
    const xvHvAbi *abi;
    xvHvParams p = {.first = 0, .count = 1, .cpumapLen = 2};
    g_autofree char *err = NULL;
    xvHvCall call;
    xvHvOp op;

    if (size < 2)
        return 0;

    {
        xvHvSimRequest req;
        gint64 ret;
        guint32 len;
        g_autofree char *e1 = NULL;
        g_autofree char *e2 = NULL;
        xvHvSimRequestHeaderParse(data, size, &req, &e1);
        xvHvSimReplyHeaderParse(data, size, &ret, &len, &e2);
    }

    abi = &table[data[0] % ntable];
    op = (xvHvOp) (data[1] % XV_HV_OP_LAST);

    /* the hypervisor's side: the rest of the input as a request arena */
    if (size - 2 <= XV_HV_MAX_ARENA) {
        static const guint64 base = XV_HV_FIXED_BASE;
        static const guint64 hypercalls[] = {XV_HV_HYPERCALL_SYSCTL, XV_HV_HYPERCALL_DOMCTL,
                                            XV_HV_HYPERCALL_DOM0_OP,
                                            XV_HV_HYPERCALL_XEN_VERSION};
        guint64 args[5] = {base, 0, 0, 0, 0};
        guint32 len = size - 2;
        g_autofree guint8 *arena = g_malloc0(MAX(len, 1));
        xvHvRequest req;

        if (len)
            memcpy(arena, data + 2, len);
        if (data[1] & 0x80) {   /* xen_version: cmd and buffer address from the input */
            args[0] = data[1] & 0xF;
            args[1] = base + (len ? data[0] % (len + 8) : 0);
        }
        if (xvHvParseRequest(abi, hypercalls[(data[1] >> 5) & 3], args, base, arena, len,
                             &req) == 0) {
            xvHvDomainInfo doms[2] = {{.domid = 0, .totPages = 1, .running = true},
                                      {.domid = 7, .totPages = 2, .shutdown = true,
                                       .shutdownReason = 3}};
            xvHvPhysInfo pi = {.nrCpus = 2};
            xvHvVcpuInfo vi = {.online = true};
            static const guint8 map[4] = {1, 2, 3, 4};

            if (req.dataLen && (guint64) req.dataOff + req.dataLen > len)
                abort();   /* a buffer the parser vouched for must be inside */
            xvHvReplyDomainList(abi, &req, arena, doms, 2);
            xvHvReplyDomainInfo(abi, &req, arena, &doms[1]);
            xvHvReplyPhysInfo(abi, &req, arena, &pi);
            xvHvReplyVcpuInfo(abi, &req, arena, &vi);
            xvHvReplySchedId(abi, &req, arena, 5);
            xvHvReplyCredit(abi, &req, arena, 256, 0);
            xvHvReplyAffinity(&req, arena, map, sizeof(map));
        }
    }
    p.count = 1 + (data[1] >> 4);
    data += 2;
    size -= 2;
    if (size > XV_HV_MAX_ARENA)
        return 0;

    xvHvCallInit(&call);
    if (xvHvEncode(abi, op, 1, &p, &call, &err) == 0) {
        /* the reply: the fuzzer's bytes, at the fuzzer's length */
        g_byte_array_set_size(call.arena, size);
        if (size)
            memcpy(call.arena->data, data, size);

        switch (op) {
        case XV_HV_OP_GETDOMAININFOLIST: {
            g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(xvHvDomainInfo));
            guint i;
            g_clear_pointer(&err, g_free);
            if (xvHvDecodeDomainList(&call, list, &err) == 0) {
                if (list->len > call.count)
                    abort();
                for (i = 0; i < list->len; i++) {
                    char st[7];
                    xvHvDomainInfoStateString(&g_array_index(list, xvHvDomainInfo, i), st);
                    xvHvDomainInfoState(&g_array_index(list, xvHvDomainInfo, i));
                }
            }
            break;
        }
        case XV_HV_OP_GETDOMAININFO: {
            xvHvDomainInfo d;
            g_clear_pointer(&err, g_free);
            if (xvHvDecodeDomainInfo(&call, &d, &err) == 0) {
                /* put it back and decode again: the same entry */
                guint8 buf[128];
                xvHvDomainInfo d2;
                if (xvHvAbiPutDomainInfo(abi, buf, sizeof(buf), &d) < 0 ||
                    xvHvAbiGetDomainInfo(abi, buf, sizeof(buf), &d2) < 0 ||
                    d2.domid != d.domid || d2.totPages != d.totPages || d2.flags != d.flags ||
                    memcmp(d2.handle, d.handle, 16) != 0)
                    abort();
            }
            break;
        }
        case XV_HV_OP_PHYSINFO: {
            xvHvPhysInfo pi;
            g_clear_pointer(&err, g_free);
            xvHvDecodePhysInfo(&call, &pi, &err);
            break;
        }
        case XV_HV_OP_GETVCPUINFO: {
            xvHvVcpuInfo vi;
            g_clear_pointer(&err, g_free);
            xvHvDecodeVcpuInfo(&call, &vi, &err);
            break;
        }
        case XV_HV_OP_SCHED_ID: {
            guint32 id;
            g_clear_pointer(&err, g_free);
            xvHvDecodeSchedId(&call, &id, &err);
            break;
        }
        case XV_HV_OP_SCHED_CREDIT_GET: {
            guint16 w, c;
            g_clear_pointer(&err, g_free);
            xvHvDecodeCredit(&call, &w, &c, &err);
            break;
        }
        case XV_HV_OP_GETVCPUAFFINITY:
        case XV_HV_OP_SETVCPUAFFINITY: {
            const guint8 *map;
            guint32 len;
            g_clear_pointer(&err, g_free);
            if (xvHvDecodeAffinity(&call, &map, &len, &err) == 0) {
                volatile guint8 sink = 0;
                guint32 i;
                for (i = 0; i < len; i++)
                    sink ^= map[i];
                (void) sink;
            }
            break;
        }
        default:
            break;
        }
    }
    xvHvCallClear(&call);
    return 0;
}
