package io.ipnpipeline.ops.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of {@code GET /v1/payment/}: {@code {data:[...], limit, page, pagesCount, total}}. */
public record PaymentPage(List<ObjectNode> data, int limit, int page, int pagesCount, long total) {

    public PaymentPage {
        data = List.copyOf(data);
    }

    /** Pages count from 0; this is the last one when the next would be past {@code pagesCount}. */
    public boolean isLast() {
        return data.isEmpty() || page + 1 >= pagesCount;
    }
}
