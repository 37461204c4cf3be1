/*
 * uuid.h: 16-byte UUIDs as libvirt spells them: parsed with or without
 * dashes (the seed's examples have none), formatted always with them.
 */
#pragma once

#include <stdbool.h>

#define XV_UUID_LEN 16
#define XV_UUID_STRLEN 37

/* 0 on success, -1 if str is not 32 hex digits (dashes allowed between
 * byte pairs, surrounding blanks ignored).  Reports nothing. */
int xvUUIDParse(const char *str, unsigned char *uuid);
/* buf must hold XV_UUID_STRLEN bytes; returns buf. */
char *xvUUIDFormat(const unsigned char *uuid, char *buf);
/* A random (version 4) UUID. */
void xvUUIDGenerate(unsigned char *uuid);
bool xvUUIDIsNull(const unsigned char *uuid);
