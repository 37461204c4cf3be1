/*
 * capabilities.c: formats the <capabilities> document in libvirt's element
 * order (host: uuid, cpu, topology; then one <guest> per OS type and arch),
 * which is what virsh capabilities users and tools parse.
 */
#include "conf/capabilities.h"

#include <stdbool.h>

static void
formatTopology(GString *buf, const xvCaps *caps)
{
    unsigned int per_node = caps->sockets * caps->cores * caps->threads;
    unsigned int cpu_id = 0;

    g_string_append(buf, "    <topology>\n");
    g_string_append_printf(buf, "      <cells num='%u'>\n", caps->nodes);
    for (unsigned int n = 0; n < caps->nodes; n++) {
        g_string_append_printf(buf, "        <cell id='%u'>\n", n);
        g_string_append_printf(buf, "          <memory unit='KiB'>%llu</memory>\n",
                               caps->memory_kib / caps->nodes);
        g_string_append_printf(buf, "          <cpus num='%u'>\n", per_node);
        for (unsigned int s = 0; s < caps->sockets; s++) {
            for (unsigned int c = 0; c < caps->cores; c++) {
                for (unsigned int t = 0; t < caps->threads; t++, cpu_id++) {
                    g_string_append_printf(buf,
                                           "            <cpu id='%u' socket_id='%u' core_id='%u' "
                                           "siblings='%u'/>\n",
                                           cpu_id, n * caps->sockets + s, c, cpu_id);
                }
            }
        }
        g_string_append(buf, "          </cpus>\n");
        g_string_append(buf, "        </cell>\n");
    }
    g_string_append(buf, "      </cells>\n");
    g_string_append(buf, "    </topology>\n");
}

static void
formatGuest(GString *buf, const xvCapsGuest *g)
{
    g_string_append(buf, "  <guest>\n");
    g_string_append_printf(buf, "    <os_type>%s</os_type>\n", g->os_type);
    g_string_append_printf(buf, "    <arch name='%s'>\n", g->arch);
    g_string_append_printf(buf, "      <wordsize>%u</wordsize>\n", g->wordsize);
    if (g->emulator)
        g_string_append_printf(buf, "      <emulator>%s</emulator>\n", g->emulator);
    if (g->loader)
        g_string_append_printf(buf, "      <loader>%s</loader>\n", g->loader);
    for (const char *const *m = g->machines; m && *m; m++)
        g_string_append_printf(buf, "      <machine>%s</machine>\n", *m);
    g_string_append_printf(buf, "      <domain type='%s'/>\n", g->domain_type);
    g_string_append(buf, "    </arch>\n");
    if (g->pae || g->nonpae || g->acpi || g->apic || g->hap) {
        g_string_append(buf, "    <features>\n");
        if (g->pae)
            g_string_append(buf, "      <pae/>\n");
        if (g->nonpae)
            g_string_append(buf, "      <nonpae/>\n");
        if (g->acpi)
            g_string_append(buf, "      <acpi default='on' toggle='yes'/>\n");
        if (g->apic)
            g_string_append(buf, "      <apic default='on' toggle='no'/>\n");
        if (g->hap)
            g_string_append(buf, "      <hap default='on' toggle='yes'/>\n");
        g_string_append(buf, "    </features>\n");
    }
    g_string_append(buf, "  </guest>\n");
}

char *
xvCapsFormat(const xvCaps *caps)
{
    GString *buf = g_string_new("<capabilities>\n\n");

    g_string_append(buf, "  <host>\n");
    if (caps->host_uuid)
        g_string_append_printf(buf, "    <uuid>%s</uuid>\n", caps->host_uuid);
    g_string_append(buf, "    <cpu>\n");
    g_string_append_printf(buf, "      <arch>%s</arch>\n", caps->arch);
    g_string_append_printf(buf, "      <topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n",
                           caps->sockets, caps->cores, caps->threads);
    g_string_append(buf, "    </cpu>\n");
    g_string_append(buf, "    <power_management/>\n");
    if (caps->nodes > 0)
        formatTopology(buf, caps);
    g_string_append(buf, "  </host>\n\n");
    for (size_t i = 0; i < caps->nguests; i++) {
        formatGuest(buf, &caps->guests[i]);
        g_string_append(buf, "\n");
    }
    g_string_append(buf, "</capabilities>\n");
    return g_string_free(buf, FALSE);
}
