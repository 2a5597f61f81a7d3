# Varnish in front of the benchmark's origin: the built-in VCL (cache by the origin's
# Cache-Control) plus a hit/miss header like nginx's X-Cache-Status and imgcdn's x-cache, so the
# script can check that the load runs are all hits. Storage is malloc (run-edge.sh sets -s).
vcl 4.1;

backend origin {
    .host = "127.0.0.1";
    .port = "@ORIGIN_PORT@";
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache-Status = "HIT";
    } else {
        set resp.http.X-Cache-Status = "MISS";
    }
    # @PAD@ (run-edge.sh's equal-size runs load a copy with an X-Pad header here, step 5b)
}
