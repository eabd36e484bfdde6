// The buttons on a product card: add to cart and watch, in one island.
import AddToCart, { type CartProduct } from './AddToCart.tsx';
import WatchButton from './WatchButton.tsx';

export default function CardActions({ product }: { product: CartProduct }) {
  return (
    <div className="card-actions">
      <AddToCart product={product} compact />
      <WatchButton productId={product.productId} title={product.title} compact />
    </div>
  );
}
