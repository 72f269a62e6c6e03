// SPDX-License-Identifier: MIT
/* `driftscope ports`: the serial ports libserialport sees, USB details
 * first (the ones a board is on), then the others. */
#include <libserialport.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usb_line(struct sp_port *p) {
   int vid = 0, pid = 0;
   sp_get_port_usb_vid_pid(p, &vid, &pid);
   const char *man = sp_get_port_usb_manufacturer(p), *prod = sp_get_port_usb_product(p),
              *sn = sp_get_port_usb_serial(p);
   printf("%-24s %04x:%04x  %-20s %-28s %s\n", sp_get_port_name(p), vid, pid, man ? man : "-", prod ? prod : "-",
          sn ? sn : "-");
}

int cmd_ports(int argc, char **argv) {
   if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
      printf("usage: driftscope ports\n\nList serial ports: path, USB VID:PID, manufacturer, product, serial "
             "number.\n");
      return 0;
   }
   struct sp_port **ports;
   if (sp_list_ports(&ports) != SP_OK) {
      char *m = sp_last_error_message();
      fprintf(stderr, "driftscope: cannot list serial ports: %s\n", m ? m : "unknown error");
      sp_free_error_message(m);
      return EXIT_ERROR;
   }
   int usb = 0, other = 0;
   for (int i = 0; ports[i]; i++)
      if (sp_get_port_transport(ports[i]) == SP_TRANSPORT_USB) {
         if (!usb++)
            printf("%-24s %-9s  %-20s %-28s %s\n", "PORT", "VID:PID", "MANUFACTURER", "PRODUCT", "SERIAL");
         usb_line(ports[i]);
      }
   for (int i = 0; ports[i]; i++)
      if (sp_get_port_transport(ports[i]) != SP_TRANSPORT_USB) {
         if (!other++)
            printf("%sother ports (not USB):", usb ? "\n" : "");
         printf(" %s", sp_get_port_name(ports[i]));
      }
   if (other)
      printf("\n");
   if (!usb)
      printf("%sno USB serial port found: is the board plugged in (and its cable one that carries data)?\n"
             "Pseudo-terminals (emulators, socat, driftscope simulate) are not listed but open all the same.\n",
             other ? "\n" : "");
   sp_free_port_list(ports);
   return 0;
}
