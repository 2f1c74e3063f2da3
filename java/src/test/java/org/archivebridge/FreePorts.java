package org.archivebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** Free UDP ports on loopback, so parallel builds and repeated runs never collide on a fixed port. */
final class FreePorts
{
    private FreePorts()
    {
    }

    static int udp()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
